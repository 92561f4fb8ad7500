package app.miosa.gateway.stream.rfb;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a parser reports, as comparable values, in the order reported. */
final class RecordingListener implements ClientMessageParser.Listener {
  /** A whole message, with its wire bytes as lower-case hex. */
  record Message(ClientMessageType type, MessageCategory category, String hex) {
    static Message of(ClientMessageType type, byte[] bytes) {
      return new Message(type, type.category(), HexFormat.of().formatHex(bytes));
    }
  }

  record Oversized(long declaredLength) {}

  record Unknown(String description, String hex) {}

  final List<Object> events = new ArrayList<>();

  @Override
  public void message(ClientMessage message) {
    events.add(new Message(message.type(), message.category(), hex(message.toByteArray())));
  }

  @Override
  public void oversizedCutText(long declaredLength) {
    events.add(new Oversized(declaredLength));
  }

  @Override
  public void unknownMessage(UnknownMessage message) {
    byte[] bytes = new byte[message.bytes().remaining()];
    message.bytes().get(bytes);
    events.add(new Unknown(message.toString(), hex(bytes)));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
