package io.queststream.trainer.imports;

import io.queststream.model.api.ScoringRequest;

/**
 * One reply from a public data set, as the scorer sees it (card, history, reply), with its lineage.
 *
 * @param contextId what the reply answers: the same id for every reply to the same prompt
 * @param splitKey decides the held-out side: every turn with the same key lands on the same side
 * @param characterId the card's id, null when the data set has no card
 */
public record PublicTurn(String turnId, String contextId, String splitKey, String characterId, String policyModel,
    ScoringRequest request) {}
