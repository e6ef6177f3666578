/**
 * The whiteboard packet pipeline: stages, verdicts, sinks and the bus that runs the chain of each direction.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tunnelbus.api.pipeline;
