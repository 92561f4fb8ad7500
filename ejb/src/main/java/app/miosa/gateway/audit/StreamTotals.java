package app.miosa.gateway.audit;

import java.time.Duration;

/**
 * What the audit trail records of a stream when it ends.
 *
 * @param duration from the stream's opening to its end
 * @param bytesToViewer bytes the gateway sent to the viewer
 * @param bytesFromViewer bytes the gateway received from the viewer
 * @param inputDropped input messages dropped because the ticket is read-only
 * @param closeCode the WebSocket close code
 * @param closeReason the close reason, or null
 */
public record StreamTotals(
    Duration duration,
    long bytesToViewer,
    long bytesFromViewer,
    long inputDropped,
    int closeCode,
    String closeReason) {}
