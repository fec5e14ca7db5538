package io.ablate.tracking;

/** A tracked run's state, as MLflow names it. */
public enum RunStatus {
  RUNNING(1),
  FINISHED(3),
  FAILED(4),
  KILLED(5);

  private final int fileStoreCode;

  RunStatus(int fileStoreCode) {
    this.fileStoreCode = fileStoreCode;
  }

  /** The integer MLflow's file store writes in a run's {@code meta.yaml}. */
  public int fileStoreCode() {
    return fileStoreCode;
  }

  public static RunStatus ofFileStoreCode(int code) {
    for (RunStatus s : values()) {
      if (s.fileStoreCode == code) {
        return s;
      }
    }
    return code == 2 ? RUNNING : FAILED;   // SCHEDULED counts as running
  }

  public boolean terminal() {
    return this != RUNNING;
  }
}
