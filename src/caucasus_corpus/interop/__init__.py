"""Exchange with the tools researchers already use (brat, INCEpTION/UIMA XMI, Label Studio,
Parquet / Hugging Face datasets, NLTK readers). Empty until that work lands: importers will write
through :mod:`caucasus_corpus.authoring`, exporters read a loaded corpus."""
