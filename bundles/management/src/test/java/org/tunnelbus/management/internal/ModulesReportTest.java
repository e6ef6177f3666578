package org.tunnelbus.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ModulesReportTest {
    @Test
    void whereAModuleCameFromIsToldByItsLocation() {
        Path dist = Path.of("/opt/tb/bundles");
        Path modules = Path.of("/srv/home/modules");
        assertEquals("distribution", ModulesReport.from("file:/opt/tb/bundles/x.jar", dist, modules));
        assertEquals("HOME/modules", ModulesReport.from("file:/srv/home/modules/x.jar", dist, modules), "FileInstall's form");
        assertEquals("HOME/modules", ModulesReport.from("file:///srv/home/modules/x.jar", dist, modules));
        assertEquals("web console upload", ModulesReport.from("inputstream:x.jar", dist, modules));
        assertEquals("file:/elsewhere/x.jar", ModulesReport.from("file:/elsewhere/x.jar", dist, modules));
    }
}
