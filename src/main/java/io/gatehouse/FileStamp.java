package io.gatehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modification times and sizes of some files in one number, to notice by looking that one of
 * them changed (a renewed certificate, an edited config): a change of either changes the stamp.
 * Blocking (it reads file attributes): call it off the event loops.
 */
final class FileStamp {

  private FileStamp() {
  }

  /** The stamp of {@code files}; a null one is skipped, a missing one (mid-rename) counts as its own state. */
  static long of(Path... files) {
    long stamp = 0;
    for (Path file : files) {
      if (file != null) {
        try {
          stamp = stamp * 31 + Files.getLastModifiedTime(file).toMillis() * 17 + Files.size(file);
        } catch (IOException e) {
          stamp = stamp * 31 - 1; // gone for now: looked at again next time
        }
      }
    }
    return stamp;
  }
}
