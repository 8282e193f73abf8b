package org.egovpki.core.sync;

@FunctionalInterface
public interface SyncDeliveryTrigger { SyncDeliveryTrigger NONE = id -> {}; void enqueued(String targetId); }
