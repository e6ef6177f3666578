package org.tunnelbus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.tunnelbus.itests.support.Distribution;
import org.tunnelbus.itests.support.ItestSupport;

/**
 * (a) The distribution's bundle set in a real framework: every bundle installed with its start level, resolved and
 * ACTIVE (fragments RESOLVED and attached to a host); nothing else installed but Pax Exam's own bundles and the
 * probe; every DS component satisfied or active.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeBundlesIT extends ItestSupport {

    @Test
    public void everyBundleOfTheDistributionIsActiveAndEveryFragmentAttached() {
        Distribution dist = Distribution.current();
        assertTrue("the distribution has no bundles: " + dist.home(), dist.jars().size() > 0);
        // Bundles start asynchronously up to the framework's start level; wait (bounded) for the last ones.
        List<String> problems = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            problems = bundleProblems(dist);
            if (problems.isEmpty()) {
                break;
            }
            sleep(100);
        } while (System.currentTimeMillis() < deadline);
        if (!problems.isEmpty()) {
            fail(problems.size() + " of the distribution's " + dist.jars().size() + " bundles are not as launched:\n  "
                    + String.join("\n  ", problems));
        }

        // Exactly those bundles: anything else is Pax Exam's (mvn:/link: locations) or its probe.
        List<String> foreign = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String loc = b.getLocation();
            boolean ours = dist.jars().stream().anyMatch(j -> j.location().equals(loc));
            boolean exam = loc.startsWith("mvn:") || loc.startsWith("link:") || loc.startsWith("local")
                    || loc.contains("PAXEXAM") || b.getBundleId() == 0;
            if (!ours && !exam) {
                foreign.add(b.getSymbolicName() + " " + b.getVersion() + " from " + loc);
            }
        }
        assertEquals("bundles that are neither the distribution's nor Pax Exam's", List.of(), foreign);
        int fragments = (int) dist.jars().stream().filter(Distribution.Jar::fragment).count();
        log("%d distribution bundles (%d fragments) ACTIVE/RESOLVED at start levels 1..%d", dist.jars().size(),
                fragments, dist.highestStartLevel());
    }

    private List<String> bundleProblems(Distribution dist) {
        List<String> problems = new ArrayList<>();
        for (Distribution.Jar j : dist.jars()) {
            Bundle b = context.getBundle(j.location());
            if (b == null) {
                problems.add(j.symbolicName() + ": not installed from " + j.location());
                continue;
            }
            String what = j.symbolicName() + " " + j.version();
            if (!b.getSymbolicName().equals(j.symbolicName())
                    || !b.getVersion().equals(Version.parseVersion(j.version()))) {
                problems.add(what + ": installed as " + b.getSymbolicName() + " " + b.getVersion());
            }
            int level = b.adapt(BundleStartLevel.class).getStartLevel();
            if (level != j.startLevel()) {
                problems.add(what + ": start level " + level + ", the profile says " + j.startLevel());
            }
            if (j.fragment()) {
                if (b.getState() != Bundle.RESOLVED) {
                    problems.add(what + " (fragment): " + state(b.getState()) + ", expected RESOLVED");
                } else {
                    BundleWiring w = b.adapt(BundleWiring.class);
                    if (w == null || w.getRequiredWires(HostNamespace.HOST_NAMESPACE).isEmpty()) {
                        problems.add(what + " (fragment): attached to no host");
                    }
                }
            } else if (b.getState() != Bundle.ACTIVE) {
                problems.add(what + ": " + state(b.getState()) + ", expected ACTIVE" + whyNotStarted(b));
            }
        }
        return problems;
    }

    /** The framework's reason, for a bundle that did not resolve or start (start() says why; it is due anyway). */
    private static String whyNotStarted(Bundle b) {
        if (b.getState() != Bundle.INSTALLED && b.getState() != Bundle.RESOLVED) {
            return "";
        }
        try {
            b.start();
            return " (it started when asked again)";
        } catch (Exception e) {
            return "\n      " + e.getMessage();
        }
    }

    @Test
    public void everyComponentIsSatisfiedOrActive() {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class, 30_000);
        List<String> problems = new ArrayList<>();
        List<String> waitingForConfiguration = new ArrayList<>();
        Map<String, String> states = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            problems.clear();
            waitingForConfiguration.clear();
            states.clear();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                String name = d.name + " (" + d.bundle.symbolicName + ")";
                if (!scr.isComponentEnabled(d)) {
                    problems.add(name + ": disabled");
                    continue;
                }
                var configs = scr.getComponentConfigurationDTOs(d);
                if (configs.isEmpty()) {
                    if ("require".equals(d.configurationPolicy)) {
                        waitingForConfiguration.add(name + " (PID " + String.join(",", d.configurationPid) + ")");
                        states.put(name, "waiting for configuration");
                    } else {
                        problems.add(name + ": no component configuration");
                    }
                    continue;
                }
                for (ComponentConfigurationDTO c : configs) {
                    states.put(name + (configs.size() > 1 ? " #" + c.id : ""), state(c));
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        StringBuilder sb = new StringBuilder(name).append(": ").append(state(c));
                        for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                            sb.append("\n      unsatisfied reference '").append(u.name).append("' target ").append(u.target);
                            for (var r : d.references) {
                                if (r.name.equals(u.name)) {
                                    sb.append(" interface ").append(r.interfaceName).append(" cardinality ")
                                            .append(r.cardinality);
                                }
                            }
                        }
                        if (c.failure != null) {
                            sb.append("\n      failure: ").append(c.failure.lines().findFirst().orElse(""));
                        }
                        problems.add(sb.toString());
                    }
                }
            }
            if (problems.isEmpty()) {
                break;
            }
            sleep(100);
        } while (System.currentTimeMillis() < deadline);

        states.forEach((k, v) -> log("component %s: %s", k, v));
        if (!waitingForConfiguration.isEmpty()) {
            log("components that require a configuration and have none (not started, by design): %s",
                    waitingForConfiguration);
        }
        assertTrue("no DS component at all: is the core in the distribution?", !states.isEmpty());
        if (!problems.isEmpty()) {
            fail(problems.size() + " DS components are neither satisfied nor active:\n  " + String.join("\n  ", problems));
        }
    }

    private static String state(ComponentConfigurationDTO c) {
        return switch (c.state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + c.state;
        };
    }

    private static String state(int s) {
        return switch (s) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + s;
        };
    }
}
