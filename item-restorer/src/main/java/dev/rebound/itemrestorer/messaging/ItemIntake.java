package dev.rebound.itemrestorer.messaging;

import dev.rebound.support.messaging.Channels;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The item channel starts paused with a late subscription (application.properties): its Kafka
 * consumer does not even join the group {@code rebound-item-restorer}, so a misconfigured
 * instance neither takes items nor holds partitions the others could serve. It is resumed once
 * every setting is valid, at start or later, when the setting is fixed.
 */
@ApplicationScoped
public class ItemIntake {

  private static final Logger LOG = Logger.getLogger(ItemIntake.class);

  private final ServiceSettings settings;
  private final ChannelRegistry channels;

  ItemIntake(ServiceSettings settings, ChannelRegistry channels) {
    this.settings = settings;
    this.channels = channels;
  }

  void start(@Observes StartupEvent event) {
    settings.onceValid(() -> {
      channels.getPausable(Channels.RESTORE_ITEMS_IN).resume();
      LOG.infof("taking items from channel %s", Channels.RESTORE_ITEMS_IN);
    });
  }
}
