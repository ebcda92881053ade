package io.larder.blog.seed;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Makes plausible titles and Markdown texts per language from small vocabularies. */
final class TextGenerator {
    private static final Map<String, List<String>> WORDS = Map.of(
            "en", List.of("the", "cache", "page", "fast", "query", "server", "template", "data",
                    "simple", "request", "memory", "file", "database", "latency", "user", "home",
                    "first", "visit", "again", "measure", "render", "list", "post", "small",
                    "better", "every", "time", "with", "without", "how", "why", "notes", "on"),
            "de", List.of("der", "die", "das", "schnell", "seite", "abfrage", "speicher", "datei",
                    "server", "vorlage", "daten", "einfach", "anfrage", "nutzer", "zuerst",
                    "wieder", "messen", "liste", "beitrag", "klein", "besser", "jede", "zeit",
                    "mit", "ohne", "warum", "wie", "notizen", "zur", "und", "auch", "noch"),
            "fr", List.of("le", "la", "les", "rapide", "page", "requete", "memoire", "fichier",
                    "serveur", "modele", "donnees", "simple", "demande", "utilisateur", "premier",
                    "encore", "mesurer", "liste", "article", "petit", "mieux", "chaque", "temps",
                    "avec", "sans", "pourquoi", "comment", "notes", "sur", "et", "aussi"),
            "es", List.of("el", "la", "los", "rapido", "pagina", "consulta", "memoria", "archivo",
                    "servidor", "plantilla", "datos", "sencillo", "peticion", "usuario", "primero",
                    "otra", "medir", "lista", "entrada", "pequeno", "mejor", "cada", "tiempo",
                    "con", "sin", "por", "como", "notas", "sobre", "y", "tambien"));

    private final Random random;

    TextGenerator(Random random) {
        this.random = random;
    }

    String words(String lang, int n) {
        List<String> words = WORDS.get(lang);
        StringBuilder sb = new StringBuilder(n * 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(words.get(random.nextInt(words.size())));
        }
        return sb.toString();
    }

    String title(String lang) {
        String t = words(lang, 3 + random.nextInt(5));
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    String sentence(String lang) {
        return title(lang) + " " + words(lang, 4 + random.nextInt(10)) + ".";
    }

    String summary(String lang) {
        return sentence(lang) + " **" + words(lang, 2 + random.nextInt(3)) + "** "
                + sentence(lang);
    }

    String body(String lang) {
        StringBuilder sb = new StringBuilder(4096);
        int sections = 2 + random.nextInt(3);
        for (int s = 0; s < sections; s++) {
            sb.append("## ").append(title(lang)).append("\n\n");
            int paragraphs = 1 + random.nextInt(3);
            for (int p = 0; p < paragraphs; p++) {
                int sentences = 3 + random.nextInt(4);
                for (int i = 0; i < sentences; i++) {
                    sb.append(i == 1 ? "*" + sentence(lang) + "* " : sentence(lang) + " ");
                }
                sb.append("\n\n");
            }
            if (random.nextInt(3) == 0) {
                for (int i = 0; i < 3; i++) {
                    sb.append("- ").append(words(lang, 3 + random.nextInt(4))).append('\n');
                }
                sb.append('\n');
            }
            if (random.nextInt(4) == 0) {
                sb.append("```java\nlarder.get(Key.of(\"home-posts\", \"").append(lang)
                        .append("\", 1), loader);\n```\n\n");
            }
        }
        return sb.toString();
    }

    String comment(String lang) {
        return sentence(lang) + (random.nextBoolean() ? " " + sentence(lang) : "");
    }

    static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
