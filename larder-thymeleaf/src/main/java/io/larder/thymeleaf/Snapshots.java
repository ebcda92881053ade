package io.larder.thymeleaf;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.context.EngineContext;
import org.thymeleaf.context.IEngineContext;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.context.IWebContext;
import org.thymeleaf.context.WebEngineContext;
import org.thymeleaf.engine.IterationStatusVar;
import org.thymeleaf.engine.TemplateData;
import org.thymeleaf.engine.TemplateManager;
import org.thymeleaf.engine.TemplateModel;
import org.thymeleaf.inline.IInliner;
import org.thymeleaf.model.IProcessableElementTag;
import org.thymeleaf.web.IWebExchange;

/**
 * Renders a block's element apart from the page it is in, now or later on another thread: its
 * template code parsed at its own position in its template (so errors name the right line), and
 * processed on a copy of the render's variables (a {@code th:each} status frozen, see
 * {@link FrozenIterationStatus}), locale, selection target and inliner taken when the block was
 * reached. The copy shares no mutable state with the page's render, which goes on
 * (or has ended) while a background refresh runs. A web render's block renders on a web context
 * over a {@link FrozenExchange}, so that context-relative links and {@code ${param.x}} work in it
 * and nothing personal (session, cookies, headers) does.
 */
final class Snapshots {
    private Snapshots() {
    }

    /** A render of one block, ready to run. */
    record Render(IEngineConfiguration configuration, TemplateData template, String source,
            int line, int col, Map<String, Object> resolution, Locale locale,
            Map<String, Object> variables, Object selection, boolean hasSelection,
            IInliner inliner, IWebExchange exchange) {

        /** Renders the block's element to HTML. */
        String render() {
            TemplateManager manager = configuration.getTemplateManager();
            TemplateModel model = manager.parseString(template, source, line, col,
                    template.getTemplateMode(), false);
            IEngineContext context = exchange == null
                    ? new EngineContext(configuration, template, resolution, locale, variables)
                    : new WebEngineContext(configuration, template, resolution, exchange, locale,
                            variables);
            if (hasSelection) {
                context.setSelectionTarget(selection);
            }
            context.setInliner(inliner);
            StringWriter out = new StringWriter();
            manager.process(model, context, out);
            return out.toString();
        }
    }

    static Render of(ITemplateContext context, String source, IProcessableElementTag tag) {
        Map<String, Object> variables = new HashMap<>();
        for (String name : context.getVariableNames()) {
            Object value = context.getVariable(name);
            variables.put(name, value instanceof IterationStatusVar status
                    ? new FrozenIterationStatus(status) : value);
        }
        return new Render(context.getConfiguration(), context.getTemplateData(), source,
                tag.getLine(), tag.getCol(), context.getTemplateResolutionAttributes(),
                context.getLocale(), variables, context.getSelectionTarget(),
                context.hasSelectionTarget(), context.getInliner(),
                context instanceof IWebContext web ? FrozenExchange.of(web.getExchange()) : null);
    }
}
