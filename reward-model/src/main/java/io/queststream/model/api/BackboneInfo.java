package io.queststream.model.api;

/** What a backbone is: id (matches RewardHeads.backbone_id), embedding width, pooling, device it runs on. */
public record BackboneInfo(String id, int embeddingDim, String pooling, String device, int maxSequenceTokens) {}
