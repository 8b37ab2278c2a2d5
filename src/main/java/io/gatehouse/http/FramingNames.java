package io.gatehouse.http;

/** Sorts request header names by their part in message framing; see {@link RequestLimits}. */
final class FramingNames {

  enum Kind { HOST, TRANSFER_ENCODING, CONTENT_LENGTH, LOOK_ALIKE, OTHER }

  private FramingNames() {
  }

  static Kind classify(CharSequence name) {
    switch (name.length()) {
      case 4 -> {
        return FoldedNames.equals(name, "host") ? Kind.HOST : Kind.OTHER;
      }
      case 14 -> {
        if (FoldedNames.equals(name, "content-length")) {
          return FoldedNames.hasFoldedSeparator(name) ? Kind.LOOK_ALIKE : Kind.CONTENT_LENGTH;
        }
        return Kind.OTHER;
      }
      case 17 -> {
        if (FoldedNames.equals(name, "transfer-encoding")) {
          return FoldedNames.hasFoldedSeparator(name) ? Kind.LOOK_ALIKE : Kind.TRANSFER_ENCODING;
        }
        return Kind.OTHER;
      }
      default -> {
        return Kind.OTHER;
      }
    }
  }
}
