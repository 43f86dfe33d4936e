using System.Text;

namespace Pmx.Config;

/// <summary>
/// PM2's log_date_format is a moment.js format ("YYYY-MM-DD HH:mm:ss Z"); pmx formats with .NET.
/// The tokens PM2 users write are translated; anything else passes through.
/// </summary>
internal static class MomentFormat
{
    static readonly (string Moment, string DotNet)[] Tokens =
    [
        ("YYYY", "yyyy"), ("YY", "yy"), ("DD", "dd"), ("Do", "d"), ("D", "d"), ("SSS", "fff"), ("ZZ", "zzz"), ("Z", "zzz"), ("A", "tt"),
    ];

    public static string ToDotNet(string moment)
    {
        var result = new StringBuilder(moment.Length + 4);
        for (var i = 0; i < moment.Length;)
        {
            var token = Tokens.FirstOrDefault(t => string.CompareOrdinal(moment, i, t.Moment, 0, t.Moment.Length) == 0);
            if (token.Moment is null)
            {
                result.Append(moment[i++]);
                continue;
            }
            result.Append(token.DotNet);
            i += token.Moment.Length;
        }
        return result.ToString();
    }
}
