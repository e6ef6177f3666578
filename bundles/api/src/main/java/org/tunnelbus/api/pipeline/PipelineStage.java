package org.tunnelbus.api.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of a {@link Stage}, typed. Put it on a DS component that provides {@code Stage}:
 *
 * <pre>
 * &#64;Component(service = Stage.class)
 * &#64;PipelineStage(name = "mss-clamp", box = "MANGLE", direction = {"outgoing", "incoming"})
 * public final class MssClamp implements Stage { ... }
 * </pre>
 *
 * <p>The core builds each chain from these properties: for every {@code name} it takes the provider
 * with the highest {@code service.ranking} (a substitute takes over when the best one goes, and a
 * configuration change of the ranking swaps them), and sorts the slots by {@code order}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PipelineStage {
    /** Property-name prefix: the elements below become {@code tunnelbus.stage.name} etc. */
    String PREFIX_ = "tunnelbus.stage.";

    /** Property {@code tunnelbus.stage.name}. */
    String NAME = PREFIX_ + "name";
    /** Property {@code tunnelbus.stage.box}. */
    String BOX = PREFIX_ + "box";
    /** Property {@code tunnelbus.stage.direction}. */
    String DIRECTION = PREFIX_ + "direction";
    /** Property {@code tunnelbus.stage.order}. */
    String ORDER = PREFIX_ + "order";

    /** The slot this stage fills; providers of the same name are alternatives. Kebab-case. */
    String name();

    /** The {@link Box} this stage belongs to, by name. */
    String box();

    /** The chains the stage runs in: {@code outgoing}, {@code incoming} or both. */
    String[] direction() default {"outgoing", "incoming"};

    /** Position in the chain; {@code -1} means the box's default ({@link Box#order(Direction)}). */
    int order() default -1;
}
