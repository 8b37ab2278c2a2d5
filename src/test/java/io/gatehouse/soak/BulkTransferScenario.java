package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Large bodies both ways with a session: an upload and a download of {@link SoakSettings#bulkBytes()},
 * fast or slow. A slow writer sends a 64 KiB block every 150 ms, a slow reader reads one every
 * 150 ms (so the back-pressure reaches the upstream). The bytes must arrive exactly as sent
 * ({@link BodyPattern}, compared by SHA-256).
 */
final class BulkTransferScenario implements Scenario {

  private static final long PAUSE_MILLIS = 150;
  /** Slow transfers move less, so one lasts seconds, not minutes. */
  private static final int SLOW_BYTES = 1024 * 1024;

  private final boolean slow;

  BulkTransferScenario(boolean slow) {
    this.slow = slow;
  }

  @Override
  public void run(SoakContext soak) {
    UserPool.PoolUser user = soak.pool.any();
    int bytes = slow ? SLOW_BYTES : soak.settings.bulkBytes();
    long seed = ThreadLocalRandom.current().nextLong();
    BodyPattern pattern = new BodyPattern(seed);
    String expected = pattern.sha256(bytes);
    if (ThreadLocalRandom.current().nextBoolean()) {
      String what = slow ? "slow upload" : "upload";
      HttpRequest.BodyPublisher body = slow
          ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
              () -> new SlowStream(pattern, bytes)), bytes)
          : HttpRequest.BodyPublishers.ofByteArray(pattern.body(bytes));
      Answer answer = soak.client.send(what, soak.proxied("/bulk/upload")
          .header("Authorization", "Bearer " + user.session()).POST(body).build());
      if (soak.client.expect(answer, 200) && !expected.equals(new JsonObject(answer.body()).getString("sha256"))) {
        soak.promises.broken(BrokenPromise.BODY_CORRUPTED, what + " of " + bytes + " bytes: upstream got "
            + answer.body());
      }
    } else {
      String what = slow ? "slow download" : "download";
      Answer answer = soak.client.download(what, soak.proxied("/bulk/download?bytes=" + bytes + "&seed=" + seed)
          .header("Authorization", "Bearer " + user.session()).GET().build(), slow ? PAUSE_MILLIS : 0);
      if (soak.client.expect(answer, 200) && !expected.equals(answer.body())) {
        soak.promises.broken(BrokenPromise.BODY_CORRUPTED, what + " of " + bytes + " bytes: got SHA-256 "
            + answer.body());
      }
    }
  }

  /** The body of a slow writer: one block at a time, a pause before each. */
  private static final class SlowStream extends InputStream {
    private final BodyPattern pattern;
    private final int length;
    private byte[] block = new byte[0];
    private int inBlock;
    private int sent;

    SlowStream(BodyPattern pattern, int length) {
      this.pattern = pattern;
      this.length = length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int max) {
      if (sent >= length) {
        return -1;
      }
      if (inBlock == block.length) {
        try {
          Thread.sleep(PAUSE_MILLIS); // real time: a slow writer, as the gateway sees it on the wire
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        block = pattern.block(sent / BodyPattern.BLOCK);
        inBlock = 0;
      }
      int n = Math.min(max, Math.min(block.length - inBlock, length - sent));
      System.arraycopy(block, inBlock, into, offset, n);
      inBlock += n;
      sent += n;
      return n;
    }
  }
}
