//! The project `link` object made from `createProject`'s `gitRepository {type, repo}`, in the shape
//! the spec gives for each git provider. Must not import other vendor modules.

use serde_json::{json, Map, Value};

const GIT_TYPES: [&str; 4] = ["github", "github-limited", "gitlab", "bitbucket"];

/// A stable number derived from text, for the numeric repository / owner ids the API reports.
fn numeric_id(text: &str) -> u64 {
    // FNV-1a, trimmed to 9 digits like GitHub's repository ids.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash % 1_000_000_000
}

/// The link for `gitRepository`, or the 400 message.
pub fn build(git: &Map<String, Value>, now: u64) -> Result<Value, String> {
    if let Some(extra) = git.keys().find(|k| *k != "type" && *k != "repo") {
        return Err(format!(
            "Invalid request: `gitRepository` should NOT have additional property `{extra}`."
        ));
    }
    let kind = git
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| GIT_TYPES.contains(t))
        .ok_or_else(|| {
            format!(
                "Invalid request: `gitRepository.type` should be equal to one of the allowed values \"{}\".",
                GIT_TYPES.join("\", \"")
            )
        })?;
    let repo = git
        .get("repo")
        .and_then(Value::as_str)
        .ok_or("Invalid request: `gitRepository` missing required property `repo`.")?;
    let (owner, name) = repo
        .split_once('/')
        .filter(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
        .ok_or_else(|| {
            format!("The repository \"{repo}\" is not valid: use the form \"owner/repository\".")
        })?;
    let common = json!({
        "type": kind,
        "createdAt": now,
        "updatedAt": now,
        "deployHooks": [],
        "gitCredentialId": format!("cred_{}", numeric_id(owner)),
        "productionBranch": "main",
        "sourceless": true,
    });
    let specific = match kind {
        "gitlab" => json!({
            "projectId": numeric_id(repo).to_string(),
            "projectName": name,
            "projectNameWithNamespace": format!("{owner} / {name}"),
            "projectNamespace": owner,
            "projectOwnerId": numeric_id(owner),
            "projectUrl": format!("https://gitlab.com/{owner}/{name}"),
        }),
        "bitbucket" => json!({
            "name": name,
            "slug": name,
            "owner": owner,
            "uuid": format!("{{{:032x}}}", u128::from(numeric_id(repo))),
            "workspaceUuid": format!("{{{:032x}}}", u128::from(numeric_id(owner))),
        }),
        _ => json!({
            "org": owner,
            "repo": name,
            "repoId": numeric_id(repo),
            "repoOwnerId": numeric_id(owner),
        }),
    };
    let mut link = common;
    if let (Some(l), Value::Object(s)) = (link.as_object_mut(), specific) {
        l.extend(s);
    }
    Ok(link)
}

/// `owner/name` of a link, whatever the provider (for the `repo` list filter).
pub fn repo_of(link: &Value) -> Option<String> {
    let s = |k: &str| link.get(k).and_then(Value::as_str);
    match s("type")? {
        "gitlab" => Some(format!("{}/{}", s("projectNamespace")?, s("projectName")?)),
        "bitbucket" => Some(format!("{}/{}", s("owner")?, s("slug")?)),
        _ => Some(format!("{}/{}", s("org")?, s("repo")?)),
    }
}
