/**
 * Rebound's own Kafka contract: restore events ({@link dev.rebound.model.pipeline.RestoreEvent})
 * and item tasks ({@link dev.rebound.model.pipeline.ItemTask}). Field names are the JSON names;
 * golden tests pin the wire format.
 */
package dev.rebound.model.pipeline;
