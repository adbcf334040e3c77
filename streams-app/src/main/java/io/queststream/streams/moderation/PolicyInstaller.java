package io.queststream.streams.moderation;

import io.queststream.schemas.ModerationRules;
import io.queststream.serde.SerdeException;
import io.queststream.streams.moderation.InvalidPolicyException.Reason;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows the compacted moderation-policies topic on the global thread, so every instance holds every policy, and
 * verifies each record before it acts: a refused record is reported with its reason and the policy in force for its
 * key stays; a tombstone removes the key's policy, so its rules fall back to the tags' and the global ones. Records
 * are read as bytes and decoded here, so that a record that does not decode is refused like any other bad policy;
 * a registry that cannot be reached is waited for by the deserializer, never taken for a bad record. The store keeps
 * the accepted records; Kafka Streams runs this processor again over the topic when it restores the store.
 */
public final class PolicyInstaller implements Processor<String, byte[], Void, Void> {

  private final String storeName;
  private final String topic;
  private final Deserializer<ModerationRules> deserializer;
  private final PolicyValidator validator;
  private final ModerationPolicies policies;
  private final PolicyRejectionListener rejections;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  public PolicyInstaller(String storeName, String topic, Deserializer<ModerationRules> deserializer,
      PolicyValidator validator, ModerationPolicies policies, PolicyRejectionListener rejections) {
    this.storeName = storeName;
    this.topic = topic;
    this.deserializer = deserializer;
    this.validator = validator;
    this.policies = policies;
    this.rejections = rejections;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      PolicyKey key = PolicyKey.parse(record.key());
      if (record.value() == null) {
        policies.remove(key);
        store.delete(record.key());
        return;
      }
      policies.install(key, validator.validate(key, decode(record.value())));
      store.put(record.key(), record.value());
    } catch (InvalidPolicyException e) {
      RecordMetadata m = context.recordMetadata().orElse(null);
      rejections.rejected(new PolicyRejection(record.key(), record.value(), e.reason(), e.getMessage(),
          m == null ? null : m.topic(), m == null ? -1 : m.partition(), m == null ? -1 : m.offset()));
    }
  }

  private ModerationRules decode(byte[] value) throws InvalidPolicyException {
    try {
      return deserializer.deserialize(topic, value);
    } catch (SerdeException e) {
      if (e.retriable()) {
        throw e;
      }
      throw new InvalidPolicyException(Reason.UNDECODABLE, e.getMessage());
    }
  }
}
