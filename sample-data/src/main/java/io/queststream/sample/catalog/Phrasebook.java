package io.queststream.sample.catalog;

import java.util.List;

/**
 * Character-independent pieces: the plain and poor variants of each attribute, user-side flourishes and a few
 * degenerate replies. {@code {name}} is replaced by the character's name and {@code {user}} by the address term.
 */
public record Phrasebook(
    List<String> genericPrompts,
    List<String> userActions,
    List<String> vagueAnswers,
    List<String> offTopicAnswers,
    List<String> plainActions,
    List<String> flatDescriptions,
    List<String> vagueKnowledge,
    List<String> plainFeelings,
    List<String> flatFeelings,
    List<String> neutralClosers,
    List<String> dismissals,
    List<String> plainAddress,
    List<String> registerSlips,
    List<String> characterBreakOpenings,
    List<String> characterBreakEndings,
    List<String> degenerateReplies) {
}
