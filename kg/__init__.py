"""Knowledge graph of cancers, metastatic dissemination routes and anatomy."""
