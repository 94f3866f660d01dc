// The `camel` command's main class, as the jbang launcher's own CamelJBang.java has it: Camel JBang's
// CamelJBangMain. bin/camel runs this file as a single-file source program on the class path the build wrote.
public class CamelJBang {

    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
