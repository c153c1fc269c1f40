"""Reports: tussenstand, actieplan, jaarmonitor and stadsdeel reports as HTML and PDF."""
