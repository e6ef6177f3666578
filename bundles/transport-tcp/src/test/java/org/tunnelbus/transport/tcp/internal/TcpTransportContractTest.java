package org.tunnelbus.transport.tcp.internal;

import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.testsupport.TransportContract;

/** The transport contract every socket module honours, on TCP (server listening, client connecting to it). */
class TcpTransportContractTest extends TransportContract {
    @Override
    protected TransportFactory createFactory() {
        return new TcpTransportFactory();
    }
}
