/// Text made safe for HTML, as element content and as a quoted attribute value.
enum HTMLText {
    /// The XML escaping serves HTML as is: `&`, `<`, `>`, `"`, `'` as entities (`&apos;` is HTML5), control
    /// characters dropped. Model text can never open a tag, close a `<pre>`, leave an attribute or start a script.
    static func escape(_ text: String) -> String {
        XML.escape(text)
    }
}
