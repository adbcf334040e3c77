package io.queststream.model.api;

/** One attribute of a result: reward in label space [0,1], on the rating scale, gating weight, coefficient. */
public record AttributeReward(String attribute, float reward, float rewardOnScale, float gating, float coefficient) {}
