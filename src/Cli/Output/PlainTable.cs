using System.Text;

namespace FimVerify.Cli.Output;

/// <summary>Writes a <see cref="ResultTable"/> as fixed-width plain text: the output of a redirected stdout, read by scripts.</summary>
public static class PlainTable
{
    public static void Write(ResultTable table, TextWriter o)
    {
        if (table.PlainHeaderLine is { } header) o.WriteLine(header);
        else if (table.PlainHeader) o.WriteLine(Line(table, table.Columns.Select(c => c.Header).ToList()));
        foreach (var row in table.Rows)
            o.WriteLine(row.IsSection ? table.Indent + row.Cells[0] : Line(table, row.Cells));
        if (table.Caption is { } caption) o.WriteLine(table.Indent + caption);
    }

    private static string Line(ResultTable table, IReadOnlyList<string> cells)
    {
        var line = new StringBuilder(table.Indent);
        for (int k = 0; k < cells.Count; k++)
        {
            var column = table.Columns[k];
            string cell = cells[k];
            if (column.Width == 0 && cell.Length == 0) continue;
            line.Append(column.Gap)
                .Append(column.Width > 0 ? cell.PadLeft(column.Width) : cell.PadRight(-column.Width))
                .Append(column.After);
        }
        return line.ToString();
    }
}
