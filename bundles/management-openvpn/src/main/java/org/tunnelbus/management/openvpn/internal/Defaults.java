package org.tunnelbus.management.openvpn.internal;

import java.lang.annotation.Annotation;

/** The configuration's defaults, for a start whose configuration was refused. */
final class Defaults {
    static final StockManagementConfig CONFIG = new StockManagementConfig() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return StockManagementConfig.class;
        }

        @Override
        public String socket() {
            return "";
        }

        @Override
        public int tcp_port() {
            return 0;
        }

        @Override
        public String tcp_address() {
            return "127.0.0.1";
        }

        @Override
        public String password_file() {
            return "";
        }

        @Override
        public int log_cache() {
            return 1000;
        }

        @Override
        public int max_clients() {
            return 8;
        }
    };

    private Defaults() {
    }
}
