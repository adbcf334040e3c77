package io.queststream.trainer.training;

/**
 * One preference for stage 2, joined with both turns' embeddings. Prompt keys name identical prompt embeddings so
 * the gate runs once per context.
 */
public record TrainingPair(String chosenPromptKey, float[] chosenPrompt, float[] chosenResponse,
    String rejectedPromptKey, float[] rejectedPrompt, float[] rejectedResponse, float weight) {}
