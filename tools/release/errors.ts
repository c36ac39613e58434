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

/** Traffic did not move to the new version (for PROD: the canary was rolled back, usually by an alarm). */
export class TrafficShiftError extends ReleaseError {
  override name = 'TrafficShiftError';
}

/** A process tried to write promotion records for a stage other than its own. */
export class RecordWriterError extends ReleaseError {
  override name = 'RecordWriterError';
}
