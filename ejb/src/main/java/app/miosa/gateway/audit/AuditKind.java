package app.miosa.gateway.audit;

/** Kind of event an audit record reports. Stored by name, so constants are only ever added. */
public enum AuditKind {
  TICKET_ISSUED,
  TICKETS_REVOKED,
  /** A viewer opened a stream with a ticket. */
  STREAM_OPENED,
  /** A stream ended: its duration, bytes each way, input dropped and close code. */
  STREAM_CLOSED,
  /** A viewer page or stream request rejected by a ticket, domain or origin check. */
  CONNECTION_REFUSED,
  /** A viewer opened the audio stream of a computer with a ticket. */
  AUDIO_STREAM_OPENED,
  /** An audio stream ended: its duration, bytes sent and close code. */
  AUDIO_STREAM_CLOSED
}
