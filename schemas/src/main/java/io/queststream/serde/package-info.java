/**
 * Kafka serdes for the project's Avro records in the Confluent Schema Registry wire format (magic byte 0, 4-byte
 * big-endian schema id, Avro binary), interoperable with Confluent's and Apicurio's serdes.
 *
 * <pre>{@code
 * Serde<ChatTurn> turns = new RegistryAvroSerde<>(ChatTurn.class);
 * turns.configure(Map.of("schema.registry.url", "http://localhost:8080/apis/ccompat/v7"), false);
 *
 * Serde<SpecificRecord> preferences = RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class);
 * preferences.configure(Map.of("schema.registry.url", url, "subject.name.strategy", "topic_record"), false);
 * }</pre>
 *
 * <p>Settings ({@link io.queststream.serde.SerdeConfig}): {@code schema.registry.url} (http(s) base URL of a
 * Confluent-compatible registry, or {@code mock://<scope>} for an in-memory registry shared per scope in the JVM),
 * {@code basic.auth.user.info}, {@code schema.registry.ssl.truststore.*} / {@code keystore.*} / {@code key.password},
 * {@code http.connect.timeout.ms} (3 s) and {@code http.read.timeout.ms} (5 s), {@code auto.register.schemas}
 * (true), {@code subject.name.strategy} ({@code topic} | {@code record} | {@code topic_record}).
 *
 * <p>Every failure is a {@link io.queststream.serde.SerdeException} (a Kafka {@code SerializationException}, so
 * Kafka Streams' deserialization handlers see it) whose {@link io.queststream.serde.SerdeException.Reason} says
 * what was wrong; a null value is a tombstone and stays null. {@link io.queststream.serde.AvroSerdeFactory} and the
 * {@code quest.serde.factory} setting swap in another implementation, such as Confluent's.
 */
package io.queststream.serde;
