package io.queststream.model.api;

/**
 * One attribute of a result: the reward the head regressed in label space (normalised ratings, [0,1], which a linear
 * head can leave), the same reward on the rating scale clamped to it, gating weight and coefficient.
 */
public record AttributeReward(String attribute, float reward, float rewardOnScale, float gating, float coefficient) {}
