package dev.rebound.storage;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

/**
 * Keeps a service with static S3 credentials but an empty key running, so that it can say what is
 * wrong: the S3 extension would otherwise stop the start with a stack trace ("cannot be empty if
 * STATIC credentials provider used"). For the S3 client only, such credentials read as
 * {@code anonymous}; {@link StorageSettingsCheck} reads the declared type from the configuration
 * sources and reports the empty key, and the service takes no work until it is set.
 */
@Priority(io.smallrye.config.Priorities.APPLICATION + 100)
public class StaticCredentialsGuard implements ConfigSourceInterceptor {

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    if (!StorageSettingsCheck.TYPE.equals(name) || value == null || value.getValue() == null
        || !"static".equalsIgnoreCase(value.getValue().trim())) {
      return value;
    }
    if (blank(context.proceed(StorageSettingsCheck.ACCESS_KEY)) || blank(context.proceed(StorageSettingsCheck.SECRET_KEY))) {
      return value.withValue("anonymous");
    }
    return value;
  }

  private static boolean blank(ConfigValue value) {
    return value == null || value.getValue() == null || value.getValue().isBlank();
  }
}
