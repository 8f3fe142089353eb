namespace FimVerify.Cli.Output;

/// <summary>
/// One column of a <see cref="ResultTable"/>. The plain layout is the one scripts have always read: each cell is written
/// after <paramref name="Gap"/>, padded as a C# alignment (<paramref name="Width"/> &gt; 0 right-justified, &lt; 0
/// left-justified, 0 not padded) and followed by <paramref name="After"/>; an empty cell of an unpadded column writes
/// nothing, gap included (an optional last column). <paramref name="Numeric"/> right-justifies the column on a terminal.
/// </summary>
public sealed record ResultColumn(string Header, int Width = 0, string Gap = "", string After = "", bool Numeric = false);

/// <summary>A row: cells in column order, or a section heading (a title line over the rows that follow).</summary>
public sealed record ResultRow(IReadOnlyList<string> Cells, bool IsSection = false);

/// <summary>
/// A table of results, the one value every command's tables go through: <see cref="PlainTable"/> writes it as the plain
/// text of a redirected stdout (byte for byte the text before tables existed), <see cref="TerminalTable"/> draws the same
/// cells as a Spectre.Console table on a terminal; <see cref="WriteTo"/> picks by the writer.
/// </summary>
public sealed class ResultTable(params ResultColumn[] columns)
{
    private readonly List<ResultRow> _rows = [];

    public IReadOnlyList<ResultColumn> Columns { get; } = columns;
    public IReadOnlyList<ResultRow> Rows => _rows;

    /// <summary>Plain text: written before every line.</summary>
    public string Indent { get; init; } = "";

    /// <summary>Plain text: a first line with the columns' headers in the rows' layout.</summary>
    public bool PlainHeader { get; init; }

    /// <summary>Plain text: this first line instead, for the tables whose header line was never in their rows' layout.</summary>
    public string? PlainHeaderLine { get; init; }

    /// <summary>A note under the table (plain text: a last line, after the indent).</summary>
    public string? Caption { get; init; }

    public ResultTable Add(params string[] cells)
    {
        if (cells.Length != Columns.Count) throw new ArgumentException($"A row of this table has {Columns.Count} cells, but got {cells.Length}.");
        _rows.Add(new ResultRow(cells));
        return this;
    }

    public ResultTable AddSection(string title)
    {
        _rows.Add(new ResultRow([title], IsSection: true));
        return this;
    }

    /// <summary>
    /// Draws the table on a terminal when <paramref name="o"/> is one (<see cref="TerminalOutput"/>) and the table
    /// <see cref="TerminalTable.Fits"/> it (nothing when it has no rows, as the plain text of a table without a header
    /// line); else writes the plain text.
    /// </summary>
    public void WriteTo(TextWriter o)
    {
        if (o is not TerminalOutput terminal || !TerminalTable.Fits(this, terminal.Console.Profile.Width)) PlainTable.Write(this, o);
        else if (Rows.Count > 0) terminal.Console.Write(TerminalTable.Of(this, terminal.Console.Profile.Width));
    }
}
