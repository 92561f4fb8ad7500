package app.miosa.gateway.stream.rfb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records what a {@link ServerMessageFramer} forwards and reports. */
final class ForwardRecorder implements ServerMessageFramer.Listener {
  final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
  final List<Long> oversized = new ArrayList<>();

  /** When false, forwarded bytes are only counted, so that large streams need no memory. */
  private final boolean keepBytes;

  long forwardedCount;

  ForwardRecorder() {
    this(true);
  }

  ForwardRecorder(boolean keepBytes) {
    this.keepBytes = keepBytes;
  }

  @Override
  public void forward(ByteBuffer bytes) {
    forwardedCount += bytes.remaining();
    if (keepBytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      forwarded.writeBytes(copy);
    }
  }

  @Override
  public void oversizedCutText(long declaredLength) {
    oversized.add(declaredLength);
  }

  String forwardedHex() {
    return RecordingListener.hex(forwarded.toByteArray());
  }
}
