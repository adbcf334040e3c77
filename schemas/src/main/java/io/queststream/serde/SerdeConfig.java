package io.queststream.serde;

import io.queststream.serde.registry.RegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the registry serde: the registry client's plus how schemas are registered. */
public final class SerdeConfig extends RegistryClientConfig {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String SUBJECT_NAME_STRATEGY = "subject.name.strategy";

  private static final ConfigDef CONFIG_DEF = RegistryClientConfig.configDef()
      .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
          "Register the writer schema on first use; when false the schema must already be registered.")
      .define(SUBJECT_NAME_STRATEGY, Type.STRING, "topic",
          (name, value) -> SubjectNameStrategy.parse((String) value), Importance.MEDIUM,
          "topic (<topic>-key/-value, one record type per topic), record (<record full name>) or topic_record "
              + "(<topic>-<record full name>, several record types per topic).");

  public SerdeConfig(Map<String, ?> props) {
    super(CONFIG_DEF, props);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS);
  }

  public SubjectNameStrategy subjectNameStrategy() {
    return SubjectNameStrategy.parse(getString(SUBJECT_NAME_STRATEGY));
  }
}
