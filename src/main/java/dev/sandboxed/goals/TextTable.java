package dev.sandboxed.goals;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The compact summary table each goal prints at its end; plain text so it reads the same in a terminal and in CI. */
public final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public static TextTable of(String... header) {
        return new TextTable(List.of(header));
    }

    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(Objects.requireNonNullElse(cell, "")));
        }
        rows.add(row);
        return this;
    }

    public List<String> lines() {
        int[] widths = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(format(header, widths));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        lines.add(rule.toString());
        rows.forEach(row -> lines.add(format(row, widths)));
        return lines;
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>(rows);
        all.add(header);
        return all;
    }

    private static String format(List<String> row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            line.append(i == 0 ? "" : "  ");
            // Text left, numbers right, as people scan them.
            boolean numeric = !cell.isEmpty() && cell.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-');
            line.append(numeric ? " ".repeat(widths[i] - cell.length()) + cell
                    : i == row.size() - 1 ? cell : cell + " ".repeat(widths[i] - cell.length()));
        }
        return line.toString();
    }
}
