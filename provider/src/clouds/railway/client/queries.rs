//! Every GraphQL document paasform sends to Railway, in one place, as `const` operations taken from
//! Railway's public schema (railway.graphql). A unit test parses and type-checks each one against
//! that schema, so a typo in a field or argument cannot reach a user. Data only: imports nothing.

/// Whether an operation reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
}

/// One named GraphQL operation and how the transport may treat it.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The operation name in the document (also sent as `operationName`).
    pub name: &'static str,
    pub kind: Kind,
    /// May it be sent again after an ambiguous failure? Queries yes; updates, upserts and deletes
    /// (a repeated delete finds nothing, which counts as deleted) yes; creates no.
    pub idempotent: bool,
    pub document: &'static str,
}

const fn query(name: &'static str, document: &'static str) -> Operation {
    Operation {
        name,
        kind: Kind::Query,
        idempotent: true,
        document,
    }
}
const fn mutation(name: &'static str, idempotent: bool, document: &'static str) -> Operation {
    Operation {
        name,
        kind: Kind::Mutation,
        idempotent,
        document,
    }
}

// ---------------------------------------------------------------- projects

pub const PROJECT: Operation = query(
    "Project",
    r#"query Project($id: String!) {
  project(id: $id) { id name description isPublic workspaceId baseEnvironmentId primaryEnvironmentId }
}"#,
);

pub const PROJECTS: Operation = query(
    "Projects",
    r#"query Projects($workspaceId: String, $first: Int, $after: String) {
  projects(workspaceId: $workspaceId, first: $first, after: $after) {
    edges { node { id name description isPublic workspaceId baseEnvironmentId primaryEnvironmentId } }
    pageInfo { hasNextPage endCursor }
  }
}"#,
);

pub const PROJECT_ENVIRONMENTS: Operation = query(
    "ProjectEnvironments",
    r#"query ProjectEnvironments($id: String!, $first: Int, $after: String) {
  project(id: $id) {
    environments(first: $first, after: $after) {
      edges { node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"#,
);

pub const PROJECT_SERVICES: Operation = query(
    "ProjectServices",
    r#"query ProjectServices($id: String!, $first: Int, $after: String) {
  project(id: $id) {
    services(first: $first, after: $after) {
      edges { node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"#,
);

pub const PROJECT_CREATE: Operation = mutation(
    "ProjectCreate",
    false,
    r#"mutation ProjectCreate($input: ProjectCreateInput!) {
  projectCreate(input: $input) { id name description isPublic workspaceId baseEnvironmentId primaryEnvironmentId }
}"#,
);

pub const PROJECT_UPDATE: Operation = mutation(
    "ProjectUpdate",
    true,
    r#"mutation ProjectUpdate($id: String!, $input: ProjectUpdateInput!) {
  projectUpdate(id: $id, input: $input) { id name description isPublic workspaceId baseEnvironmentId primaryEnvironmentId }
}"#,
);

pub const PROJECT_DELETE: Operation = mutation(
    "ProjectDelete",
    true,
    r#"mutation ProjectDelete($id: String!) {
  projectDelete(id: $id)
}"#,
);

// ---------------------------------------------------------------- environments

pub const ENVIRONMENT: Operation = query(
    "Environment",
    r#"query Environment($id: String!, $projectId: String) {
  environment(id: $id, projectId: $projectId) { id name projectId sourceEnvironment { id } }
}"#,
);

pub const ENVIRONMENT_CREATE: Operation = mutation(
    "EnvironmentCreate",
    false,
    r#"mutation EnvironmentCreate($input: EnvironmentCreateInput!) {
  environmentCreate(input: $input) { id name projectId sourceEnvironment { id } }
}"#,
);

pub const ENVIRONMENT_RENAME: Operation = mutation(
    "EnvironmentRename",
    true,
    r#"mutation EnvironmentRename($id: String!, $input: EnvironmentRenameInput!) {
  environmentRename(id: $id, input: $input) { id name projectId sourceEnvironment { id } }
}"#,
);

pub const ENVIRONMENT_DELETE: Operation = mutation(
    "EnvironmentDelete",
    true,
    r#"mutation EnvironmentDelete($id: String!) {
  environmentDelete(id: $id)
}"#,
);

// ---------------------------------------------------------------- services

/// A service's whole readable state in one request: the service, its instance in one
/// environment, its variables (unrendered, so references stay `${{…}}`) and its domains.
pub const SERVICE_STATE: Operation = query(
    "ServiceState",
    r#"query ServiceState($serviceId: String!, $environmentId: String!, $projectId: String!) {
  service(id: $serviceId) { id name icon projectId }
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    environmentId
    source { repo image }
    rootDirectory
    watchPatterns
    buildCommand
    startCommand
    preDeployCommand
    builder
    dockerfilePath
    railwayConfigFile
    healthcheckPath
    healthcheckTimeout
    cronSchedule
    numReplicas
    region
    restartPolicyType
    restartPolicyMaxRetries
    sleepApplication
    drainingSeconds
    overlapSeconds
  }
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, unrendered: true)
  domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    serviceDomains { id domain targetPort }
    customDomains {
      id
      domain
      targetPort
      status { dnsRecords { recordType hostlabel fqdn zone requiredValue } }
    }
  }
}"#,
);

/// One service instance's settings (railway_service_instance).
pub const SERVICE_INSTANCE: Operation = query(
    "ServiceInstance",
    r#"query ServiceInstance($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    environmentId
    buildCommand
    startCommand
    healthcheckPath
    healthcheckTimeout
    cronSchedule
    numReplicas
    region
    restartPolicyType
    restartPolicyMaxRetries
    sleepApplication
  }
}"#,
);

/// Just the service (where it lives), for imports that give only its id.
pub const SERVICE: Operation = query(
    "Service",
    r#"query Service($id: String!) {
  service(id: $id) { id name icon projectId }
}"#,
);

/// The repository triggers of a service instance: where its branch is recorded.
pub const DEPLOYMENT_TRIGGERS: Operation = query(
    "DeploymentTriggers",
    r#"query DeploymentTriggers($projectId: String!, $environmentId: String!, $serviceId: String!, $first: Int, $after: String) {
  deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, first: $first, after: $after) {
    edges { node { id branch repository } }
    pageInfo { hasNextPage endCursor }
  }
}"#,
);

pub const SERVICE_CREATE: Operation = mutation(
    "ServiceCreate",
    false,
    r#"mutation ServiceCreate($input: ServiceCreateInput!) {
  serviceCreate(input: $input) { id name icon projectId }
}"#,
);

pub const SERVICE_UPDATE: Operation = mutation(
    "ServiceUpdate",
    true,
    r#"mutation ServiceUpdate($id: String!, $input: ServiceUpdateInput!) {
  serviceUpdate(id: $id, input: $input) { id name icon projectId }
}"#,
);

pub const SERVICE_CONNECT: Operation = mutation(
    "ServiceConnect",
    true,
    r#"mutation ServiceConnect($id: String!, $input: ServiceConnectInput!) {
  serviceConnect(id: $id, input: $input) { id }
}"#,
);

pub const SERVICE_INSTANCE_UPDATE: Operation = mutation(
    "ServiceInstanceUpdate",
    true,
    r#"mutation ServiceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}"#,
);

/// Deploy a service instance (the latest commit of its branch, `commitSha`, or its image again);
/// answers the new deployment's id. Not idempotent: a repeat deploys twice.
pub const SERVICE_INSTANCE_DEPLOY_V2: Operation = mutation(
    "ServiceInstanceDeployV2",
    false,
    r#"mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!, $commitSha: String) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha)
}"#,
);

pub const DEPLOYMENT: Operation = query(
    "Deployment",
    r#"query Deployment($id: String!) {
  deployment(id: $id) { id status staticUrl }
}"#,
);

pub const SERVICE_DELETE: Operation = mutation(
    "ServiceDelete",
    true,
    r#"mutation ServiceDelete($id: String!) {
  serviceDelete(id: $id)
}"#,
);

/// All of a service's variables in one call (`replace: true` removes the ones not listed).
pub const VARIABLE_COLLECTION_UPSERT: Operation = mutation(
    "VariableCollectionUpsert",
    true,
    r#"mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) {
  variableCollectionUpsert(input: $input)
}"#,
);

// ---------------------------------------------------------------- shared variables

/// An environment's shared variables (no `serviceId`), unrendered so references stay `${{…}}`.
pub const SHARED_VARIABLES: Operation = query(
    "SharedVariables",
    r#"query SharedVariables($projectId: String!, $environmentId: String!) {
  variables(projectId: $projectId, environmentId: $environmentId, unrendered: true)
}"#,
);

/// One variable; without `serviceId` a shared one. An upsert: sending it again is harmless.
pub const VARIABLE_UPSERT: Operation = mutation(
    "VariableUpsert",
    true,
    r#"mutation VariableUpsert($input: VariableUpsertInput!) {
  variableUpsert(input: $input)
}"#,
);

pub const VARIABLE_DELETE: Operation = mutation(
    "VariableDelete",
    true,
    r#"mutation VariableDelete($input: VariableDeleteInput!) {
  variableDelete(input: $input)
}"#,
);

pub const SERVICE_DOMAIN_CREATE: Operation = mutation(
    "ServiceDomainCreate",
    false,
    r#"mutation ServiceDomainCreate($input: ServiceDomainCreateInput!) {
  serviceDomainCreate(input: $input) { id domain targetPort }
}"#,
);

pub const SERVICE_DOMAIN_UPDATE: Operation = mutation(
    "ServiceDomainUpdate",
    true,
    r#"mutation ServiceDomainUpdate($input: ServiceDomainUpdateInput!) {
  serviceDomainUpdate(input: $input)
}"#,
);

pub const CUSTOM_DOMAIN_UPDATE: Operation = mutation(
    "CustomDomainUpdate",
    true,
    r#"mutation CustomDomainUpdate($environmentId: String!, $id: String!, $targetPort: Int) {
  customDomainUpdate(environmentId: $environmentId, id: $id, targetPort: $targetPort)
}"#,
);

pub const SERVICE_DOMAIN_DELETE: Operation = mutation(
    "ServiceDomainDelete",
    true,
    r#"mutation ServiceDomainDelete($id: String!) {
  serviceDomainDelete(id: $id)
}"#,
);

pub const CUSTOM_DOMAIN_CREATE: Operation = mutation(
    "CustomDomainCreate",
    false,
    r#"mutation CustomDomainCreate($input: CustomDomainCreateInput!) {
  customDomainCreate(input: $input) {
    id
    domain
    targetPort
    status { dnsRecords { recordType hostlabel fqdn zone requiredValue } }
  }
}"#,
);

pub const CUSTOM_DOMAIN_DELETE: Operation = mutation(
    "CustomDomainDelete",
    true,
    r#"mutation CustomDomainDelete($id: String!) {
  customDomainDelete(id: $id)
}"#,
);

// ---------------------------------------------------------------- volumes

/// An environment's volume instances: the only public way to read a volume's mount and size
/// (the schema has no `volume(id)` query).
pub const ENVIRONMENT_VOLUME_INSTANCES: Operation = query(
    "EnvironmentVolumeInstances",
    r#"query EnvironmentVolumeInstances($id: String!, $first: Int, $after: String) {
  environment(id: $id) {
    volumeInstances(first: $first, after: $after) {
      edges { node { id volumeId environmentId serviceId mountPath sizeMB region volume { id name projectId } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"#,
);

pub const VOLUME_CREATE: Operation = mutation(
    "VolumeCreate",
    false,
    r#"mutation VolumeCreate($input: VolumeCreateInput!) {
  volumeCreate(input: $input) { id name projectId }
}"#,
);

pub const VOLUME_UPDATE: Operation = mutation(
    "VolumeUpdate",
    true,
    r#"mutation VolumeUpdate($volumeId: String!, $input: VolumeUpdateInput!) {
  volumeUpdate(volumeId: $volumeId, input: $input) { id name projectId }
}"#,
);

pub const VOLUME_INSTANCE_UPDATE: Operation = mutation(
    "VolumeInstanceUpdate",
    true,
    r#"mutation VolumeInstanceUpdate($volumeId: String!, $environmentId: String, $input: VolumeInstanceUpdateInput!) {
  volumeInstanceUpdate(volumeId: $volumeId, environmentId: $environmentId, input: $input)
}"#,
);

pub const VOLUME_DELETE: Operation = mutation(
    "VolumeDelete",
    true,
    r#"mutation VolumeDelete($volumeId: String!) {
  volumeDelete(volumeId: $volumeId)
}"#,
);

// ---------------------------------------------------------------- TCP proxies

pub const TCP_PROXIES: Operation = query(
    "TcpProxies",
    r#"query TcpProxies($environmentId: String!, $serviceId: String!) {
  tcpProxies(environmentId: $environmentId, serviceId: $serviceId) { id applicationPort proxyPort domain environmentId serviceId }
}"#,
);

pub const TCP_PROXY_CREATE: Operation = mutation(
    "TcpProxyCreate",
    false,
    r#"mutation TcpProxyCreate($input: TCPProxyCreateInput!) {
  tcpProxyCreate(input: $input) { id applicationPort proxyPort domain environmentId serviceId }
}"#,
);

pub const TCP_PROXY_DELETE: Operation = mutation(
    "TcpProxyDelete",
    true,
    r#"mutation TcpProxyDelete($id: String!) {
  tcpProxyDelete(id: $id)
}"#,
);

/// Every operation, for the schema check.
pub const ALL: &[Operation] = &[
    PROJECTS,
    PROJECT,
    PROJECT_ENVIRONMENTS,
    PROJECT_SERVICES,
    PROJECT_CREATE,
    PROJECT_UPDATE,
    PROJECT_DELETE,
    ENVIRONMENT,
    ENVIRONMENT_CREATE,
    ENVIRONMENT_RENAME,
    ENVIRONMENT_DELETE,
    SERVICE_STATE,
    SERVICE,
    DEPLOYMENT_TRIGGERS,
    SERVICE_CREATE,
    SERVICE_UPDATE,
    SERVICE_CONNECT,
    SERVICE_INSTANCE_UPDATE,
    SERVICE_INSTANCE_DEPLOY_V2,
    DEPLOYMENT,
    SERVICE_DELETE,
    VARIABLE_COLLECTION_UPSERT,
    SERVICE_DOMAIN_CREATE,
    SERVICE_DOMAIN_DELETE,
    CUSTOM_DOMAIN_CREATE,
    CUSTOM_DOMAIN_DELETE,
    SHARED_VARIABLES,
    VARIABLE_UPSERT,
    VARIABLE_DELETE,
    ENVIRONMENT_VOLUME_INSTANCES,
    VOLUME_CREATE,
    VOLUME_UPDATE,
    VOLUME_INSTANCE_UPDATE,
    VOLUME_DELETE,
    TCP_PROXIES,
    TCP_PROXY_CREATE,
    TCP_PROXY_DELETE,
    SERVICE_DOMAIN_UPDATE,
    CUSTOM_DOMAIN_UPDATE,
    SERVICE_INSTANCE,
];
