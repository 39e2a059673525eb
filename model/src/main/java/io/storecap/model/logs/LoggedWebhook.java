package io.storecap.model.logs;

/** One webhook delivery as the app's webhook table recorded it: the store, the Shopify topic and when (epoch ms). */
public record LoggedWebhook(long atMs, String shop, String topic) {}
