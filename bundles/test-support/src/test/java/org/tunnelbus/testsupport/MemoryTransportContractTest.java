package org.tunnelbus.testsupport;

import org.tunnelbus.api.transport.TransportFactory;

/** The in-memory transport honours the transport contract. */
class MemoryTransportContractTest extends TransportContract {
    @Override
    protected TransportFactory createFactory() {
        return new MemoryTransportFactory();
    }
}
