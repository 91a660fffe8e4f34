# A table is imported as DATABASE:TABLE. The API cannot say whether the table
# exists or what its partition template is: see "Import" above.
terraform import influxdb3_table.readings sensors:readings
