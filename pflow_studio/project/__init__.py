"""Project files: the file format (`file_format`: load, save, versions), the JSON codec of workflows
(`codec`) and the stable JSON layout (`layout`). Described for users in docs/file-format.md."""
