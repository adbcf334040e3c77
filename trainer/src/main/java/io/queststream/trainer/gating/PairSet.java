package io.queststream.trainer.gating;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Preference pairs ready for stage 2: each side's frozen stage-1 rewards and the prompt embedding its gate sees.
 * Prompts are stored once per context so a batch evaluates the MLP once for both sides of a pair.
 */
public final class PairSet {

  private final List<float[]> prompts;
  private final int[] chosenPrompt;
  private final int[] rejectedPrompt;
  private final float[][] chosenRewards;
  private final float[][] rejectedRewards;
  private final float[] weights;

  private PairSet(Builder b) {
    this.prompts = List.copyOf(b.prompts);
    int n = b.chosenPrompt.size();
    this.chosenPrompt = b.chosenPrompt.stream().mapToInt(Integer::intValue).toArray();
    this.rejectedPrompt = b.rejectedPrompt.stream().mapToInt(Integer::intValue).toArray();
    this.chosenRewards = b.chosenRewards.toArray(new float[n][]);
    this.rejectedRewards = b.rejectedRewards.toArray(new float[n][]);
    this.weights = new float[n];
    for (int i = 0; i < n; i++) {
      weights[i] = b.weights.get(i);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return chosenPrompt.length;
  }

  public float[] prompt(int index) {
    return prompts.get(index);
  }

  public int chosenPrompt(int pair) {
    return chosenPrompt[pair];
  }

  public int rejectedPrompt(int pair) {
    return rejectedPrompt[pair];
  }

  public float[] chosenRewards(int pair) {
    return chosenRewards[pair];
  }

  public float[] rejectedRewards(int pair) {
    return rejectedRewards[pair];
  }

  public float weight(int pair) {
    return weights[pair];
  }

  /** Collects pairs; prompt keys identify identical prompt embeddings (usually the context id). */
  public static final class Builder {
    private final List<float[]> prompts = new ArrayList<>();
    private final Map<String, Integer> promptIndex = new HashMap<>();
    private final List<Integer> chosenPrompt = new ArrayList<>();
    private final List<Integer> rejectedPrompt = new ArrayList<>();
    private final List<float[]> chosenRewards = new ArrayList<>();
    private final List<float[]> rejectedRewards = new ArrayList<>();
    private final List<Float> weights = new ArrayList<>();

    public Builder add(String chosenPromptKey, float[] chosenPromptEmbedding, float[] chosen,
        String rejectedPromptKey, float[] rejectedPromptEmbedding, float[] rejected, float weight) {
      if (chosen.length != rejected.length) {
        throw new IllegalArgumentException("reward vectors differ in length");
      }
      if (!(weight > 0) || !Float.isFinite(weight)) {
        throw new IllegalArgumentException("pair weight must be positive and finite, was " + weight);
      }
      chosenPrompt.add(index(chosenPromptKey, chosenPromptEmbedding));
      rejectedPrompt.add(index(rejectedPromptKey, rejectedPromptEmbedding));
      chosenRewards.add(chosen);
      rejectedRewards.add(rejected);
      weights.add(weight);
      return this;
    }

    public Builder add(String promptKey, float[] prompt, float[] chosen, float[] rejected, float weight) {
      return add(promptKey, prompt, chosen, promptKey, prompt, rejected, weight);
    }

    private int index(String key, float[] embedding) {
      return promptIndex.computeIfAbsent(key, k -> {
        prompts.add(embedding);
        return prompts.size() - 1;
      });
    }

    public PairSet build() {
      return new PairSet(this);
    }
  }
}
