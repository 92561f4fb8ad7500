package app.miosa.gateway.operations;

import app.miosa.gateway.stream.GatewayCluster;
import app.miosa.gateway.stream.LiveStreams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The gateway's MicroProfile metrics, in the application registry, which {@code /metrics} serves
 * in Prometheus format. Metrics are per node.
 */
@ApplicationScoped
public class GatewayMetrics {
  static final String TICKETS_ISSUED = "gateway.tickets.issued";
  static final String TICKETS_REFUSED = "gateway.tickets.refused";
  static final String REVOCATIONS = "gateway.revocations";
  static final String LIVE_STREAMS = "gateway.streams.live";
  static final String STREAM_BYTES = "gateway.relayed";
  static final String INPUT_DROPPED = "gateway.stream.input.dropped";
  static final String STREAM_DURATION = "gateway.stream.duration";
  static final String LIVE_AUDIO_STREAMS = "gateway.audio.streams.live";
  static final String AUDIO_BYTES = "gateway.audio.relayed";
  static final String CLUSTER_MEMBERS = "gateway.cluster.members";

  @Inject MetricRegistry registry;
  @Inject LiveStreams liveStreams;
  @Inject GatewayCluster cluster;

  @PostConstruct
  void registerGauges() {
    for (boolean readOnly : new boolean[] {false, true}) {
      registry.gauge(
          Metadata.builder()
              .withName(LIVE_STREAMS)
              .withDescription("Streams open on this node")
              .build(),
          liveStreams,
          streams -> streams.countAll(readOnly),
          new Tag("read_only", String.valueOf(readOnly)));
    }
    registry.gauge(
        Metadata.builder()
            .withName(LIVE_AUDIO_STREAMS)
            .withDescription("Audio streams open on this node")
            .build(),
        liveStreams,
        LiveStreams::countAudio);
    registry.gauge(
        Metadata.builder()
            .withName(CLUSTER_MEMBERS)
            .withDescription("Gateway nodes in this node's data grid, 1 without one")
            .build(),
        cluster,
        GatewayCluster::members);
  }

  /** Registers the gauges when the application starts, before the first scrape. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // The observer only makes CDI create the bean, whose @PostConstruct registers the gauges.
  }

  public void ticketIssued(boolean readOnly) {
    registry
        .counter(
            Metadata.builder()
                .withName(TICKETS_ISSUED)
                .withDescription("Tickets issued")
                .build(),
            new Tag("read_only", String.valueOf(readOnly)))
        .inc();
  }

  /** Counts a viewer page or stream request rejected by a check, by the failure's name. */
  public void ticketRefused(String reason) {
    registry
        .counter(
            Metadata.builder()
                .withName(TICKETS_REFUSED)
                .withDescription("Viewer page and stream requests rejected, by failed check")
                .build(),
            new Tag("reason", reason))
        .inc();
  }

  public void revoked() {
    registry
        .counter(
            Metadata.builder()
                .withName(REVOCATIONS)
                .withDescription("Revocations of every ticket of a computer")
                .build())
        .inc();
  }

  /** Adds an ended stream's totals: bytes each way, dropped input and its duration. */
  public void streamClosed(
      boolean readOnly, long bytesToViewer, long bytesFromViewer, long inputDropped, Duration duration) {
    bytes("to_viewer").inc(bytesToViewer);
    bytes("from_viewer").inc(bytesFromViewer);
    registry
        .counter(
            Metadata.builder()
                .withName(INPUT_DROPPED)
                .withDescription("Input messages dropped on read-only streams")
                .build())
        .inc(inputDropped);
    Timer timer =
        registry.timer(
            Metadata.builder()
                .withName(STREAM_DURATION)
                .withDescription("How long streams stayed open")
                .withUnit(MetricUnits.SECONDS)
                .build(),
            new Tag("read_only", String.valueOf(readOnly)));
    timer.update(duration);
  }

  /** Adds the bytes an ended audio stream sent to its viewer. */
  public void audioStreamClosed(long bytesToViewer) {
    registry
        .counter(
            Metadata.builder()
                .withName(AUDIO_BYTES)
                .withDescription("Audio bytes sent to viewers, counted when an audio stream ends")
                .withUnit(MetricUnits.BYTES)
                .build())
        .inc(bytesToViewer);
  }

  private Counter bytes(String direction) {
    return registry.counter(
        Metadata.builder()
            .withName(STREAM_BYTES)
            .withDescription("Bytes relayed, counted when a stream ends")
            .withUnit(MetricUnits.BYTES)
            .build(),
        new Tag("direction", direction));
  }
}
