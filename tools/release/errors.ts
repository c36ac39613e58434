/** Base class so CLIs can tell an expected, explained refusal from a crash. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

export class UsageError extends ReleaseError {
  override name = 'UsageError';
}

export class VersionExistsError extends ReleaseError {
  override name = 'VersionExistsError';
}

export class ArtifactIntegrityError extends ReleaseError {
  override name = 'ArtifactIntegrityError';
}

export class StageOrderError extends ReleaseError {
  override name = 'StageOrderError';
}

export class DeploymentError extends ReleaseError {
  override name = 'DeploymentError';
}

export class SmokeTestError extends ReleaseError {
  override name = 'SmokeTestError';
}
