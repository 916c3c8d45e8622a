/* A stand-in for bcryptprimitives.dll, for the wine test only (provider/tests/windows_wine.rs).
 *
 * Rust's std (1.78 and later) takes its random bytes from ProcessPrng in bcryptprimitives.dll,
 * which every supported Windows (10 and later) has and wine 8 (Debian 12's) does not, so wine 8
 * refuses to load the .exe (status c0000135). The test builds this file with mingw-w64 and puts
 * the DLL beside the .exe, the first place Windows looks for a DLL. It forwards to RtlGenRandom
 * (SystemFunction036 in advapi32), the system's CSPRNG. Never shipped: release zips hold only
 * the provider. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
