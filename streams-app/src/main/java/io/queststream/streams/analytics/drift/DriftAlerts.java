package io.queststream.streams.analytics.drift;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.ScorePosition;
import io.queststream.streams.analytics.observation.DimensionKey;
import io.queststream.streams.analytics.observation.ScoreRef;
import io.queststream.streams.config.DriftConfig;
import java.time.Instant;

/** A detection as the record the drift alerts topic carries. */
public final class DriftAlerts {

  static final String DETECTOR = "page-hinkley";

  private DriftAlerts() {}

  public static DriftAlert of(DimensionKey key, String attribute, PageHinkley.Detection d, DriftConfig config) {
    return DriftAlert.newBuilder()
        .setAlertId(key + "/" + attribute + "/" + d.detectedAt().turnId())
        .setDimension(key.dimension().tag())
        .setKey(key.key())
        .setAttribute(attribute)
        .setDirection(d.direction().tag())
        .setMeanBefore(d.meanBefore())
        .setMeanAfter(d.meanAfter())
        .setShift(d.meanAfter() - d.meanBefore())
        .setObservationsBefore(d.before())
        .setObservationsAfter(d.after())
        .setDetector(DETECTOR)
        .setStatistic(d.statistic())
        .setThreshold(config.threshold())
        .setDelta(config.delta())
        .setMonitoringStart(position(d.first()))
        .setChangeStart(position(d.changeStart()))
        .setDetection(position(d.detectedAt()))
        .build();
  }

  private static ScorePosition position(ScoreRef r) {
    return new ScorePosition(r.turnId(), r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
        r.weightsVersion());
  }
}
