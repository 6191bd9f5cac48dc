"""The 绩效自评 ribbon (customUI.xml), packaged as data."""
