package io.queststream.trainer.promotion;

import java.util.List;
import java.util.Map;

/** The gate's verdict with the numbers it compared. */
public record PromotionDecision(boolean promote, List<String> reasons, Map<String, Double> candidate,
    Map<String, Double> current) {}
