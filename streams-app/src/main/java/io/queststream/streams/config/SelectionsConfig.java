package io.queststream.streams.config;

import java.time.Duration;

/**
 * Preference pairs from users' selections among regenerations.
 *
 * @param resolveTimeout how long a selection waits for the score of the turn it chose before it is dead-lettered
 * @param retention how long the scored replies of a parent turn and its selection are remembered
 * @param scanInterval how often waiting selections and expired parents are looked for
 */
public record SelectionsConfig(Duration resolveTimeout, Duration retention, Duration scanInterval) {}
