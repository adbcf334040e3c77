package io.queststream.streams.health;

/**
 * A failure that says nothing about the record being processed: a dependency could not be used.
 *
 * @param cause a short tag for metrics: unavailable, not-authorised, disk-full, overloaded, broker
 * @param description what failed, for logs and readiness
 */
public record TransientFailure(Dependency dependency, String cause, String description) {}
