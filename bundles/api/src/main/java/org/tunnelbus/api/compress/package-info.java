/**
 * The compression box: algorithms that compress and decompress packet payloads.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.compress;
