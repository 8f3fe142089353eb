using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FimVerify.Cli.Output;

/// <summary>
/// Draws a <see cref="ResultTable"/> as a Spectre.Console table for a terminal: rounded borders, bold headers (hidden
/// when no column has one), numeric columns right-justified, section headings in bold, a caption as a dim line under
/// the table, and a cell that is a verdict word coloured: passing words green, failing ones red, undecided ones yellow,
/// INFO dim. On a terminal narrower than the table the columns wrap at spaces, numbers and verdicts never; a table that
/// would have to break a word does not <see cref="Fits"/>.
/// </summary>
public static class TerminalTable
{
    /// <summary>The table for a terminal <paramref name="width"/> columns wide, its caption as a dim line under it (left-aligned, as in the plain text).</summary>
    public static IRenderable Of(ResultTable table, int width) =>
        table.Caption is { } caption ? new Rows(TableOf(table, width), new Text(caption, new Style(decoration: Decoration.Dim))) : TableOf(table, width);

    /// <summary>
    /// Whether the table fits <paramref name="width"/> terminal columns with its numbers and verdicts whole and every
    /// other column at least as wide as its longest word (else the plain text is clearer than a table of broken words).
    /// </summary>
    public static bool Fits(ResultTable table, int width) => Overhead(table) + Measure(table).Sum(m => m.Min) <= width;

    /// <summary>The colour of a verdict word, or null when the text is not one.</summary>
    public static Style? VerdictStyle(string text) => text switch
    {
        "PASS" or "PROVED" or "PLAUSIBLE" or "CONFIRMED" => new Style(Color.Green),
        "FAIL" or "FALSE" or "REFUTED" => new Style(Color.Red),
        "VACUOUS" or "UNDECIDED" => new Style(Color.Yellow),
        "INFO" => new Style(decoration: Decoration.Dim),
        _ => (Style?)null,
    };

    private static Table TableOf(ResultTable table, int width)
    {
        var t = new Table().Border(TableBorder.Rounded);
        var widths = Widths(table, width);
        for (int k = 0; k < table.Columns.Count; k++)
        {
            var c = table.Columns[k];
            var column = new TableColumn(new Text(c.Header, new Style(decoration: Decoration.Bold)));
            if (c.Numeric) column.RightAligned();
            if (widths?[k] is int w) column.Width(w);
            t.AddColumn(column);
        }
        if (table.Columns.All(c => c.Header.Length == 0)) t.HideHeaders();
        foreach (var row in table.Rows)
        {
            var cells = row.IsSection
                ? table.Columns.Select((_, k) => k == 0 ? new Text(row.Cells[0], new Style(decoration: Decoration.Bold)) : Text.Empty)
                : row.Cells.Select(CellText);
            t.AddRow(cells.Cast<IRenderable>());
        }
        return t;
    }

    /// <summary>
    /// Null when the table fits at its natural widths; else every column's width: its least (<see cref="Measure"/>) and a
    /// share of the room left in proportion to what it lacks (Spectre's own shrinking would break words and numbers).
    /// </summary>
    private static int[]? Widths(ResultTable table, int width)
    {
        var m = Measure(table);
        int room = Math.Max(0, width - Overhead(table) - m.Sum(x => x.Min));
        int lack = m.Sum(x => x.Max - x.Min);
        if (room >= lack) return null;
        return m.Select(x => x.Min + (int)((long)room * (x.Max - x.Min) / lack)).ToArray();
    }

    /// <summary>Per column a border and a space of padding either side, and the last border.</summary>
    private static int Overhead(ResultTable table) => 3 * table.Columns.Count + 1;

    /// <summary>
    /// Per column its least width, the longest word of its header and cells (for numbers and verdicts the longest cell:
    /// they never wrap), and its natural width, the longest header or cell.
    /// </summary>
    private static (int Min, int Max)[] Measure(ResultTable table) =>
        table.Columns.Select((c, k) =>
        {
            var cells = ColumnTexts(table, k).ToList();
            int longestWord = cells.Append(c.Header).SelectMany(t => t.Split(' ')).Max(CellWidth);
            int min = Unbroken(table, k) ? Math.Max(cells.Select(CellWidth).DefaultIfEmpty(0).Max(), longestWord) : longestWord;
            return (min, Math.Max(min, cells.Append(c.Header).Max(CellWidth)));
        }).ToArray();

    private static Text CellText(string text) => VerdictStyle(text) is { } style ? new Text(text, style) : new Text(text);

    /// <summary>Terminal columns a text takes: combining marks (the bar of F̄) take none; the tables hold no wide characters.</summary>
    private static int CellWidth(string text) =>
        text.EnumerateRunes().Count(r => Rune.GetUnicodeCategory(r) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format));

    /// <summary>The texts in column <paramref name="k"/>, a section heading counting as a cell of the first column.</summary>
    private static IEnumerable<string> ColumnTexts(ResultTable table, int k) =>
        table.Rows.Where(r => !r.IsSection || k == 0).Select(r => r.Cells[k]);

    /// <summary>Numbers, and a column of verdict words (and blanks), are never wrapped.</summary>
    private static bool Unbroken(ResultTable table, int k) =>
        table.Columns[k].Numeric || (ColumnTexts(table, k).Any(t => t.Length > 0) && ColumnTexts(table, k).All(t => t.Length == 0 || VerdictStyle(t) is not null));
}
