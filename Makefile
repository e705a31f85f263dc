# sam build runs these targets (Metadata: BuildMethod: makefile), in the source tree (samconfig.toml sets
# build_in_source). Each target builds one function's shaded jar and unpacks it where SAM packages from.
MVN ?= mvn -q -B

build-ApiFunction:
	$(MVN) -pl functions/api -am -DskipTests package
	unzip -q -o functions/api/target/api-function.jar -d "$(ARTIFACTS_DIR)"

build-EmailEventsFunction:
	$(MVN) -pl functions/email-events -am -DskipTests package
	unzip -q -o functions/email-events/target/email-events-function.jar -d "$(ARTIFACTS_DIR)"

build-SmsEventsFunction:
	$(MVN) -pl functions/sms-events -am -DskipTests package
	unzip -q -o functions/sms-events/target/sms-events-function.jar -d "$(ARTIFACTS_DIR)"

build-DeciderFunction:
	$(MVN) -pl functions/decider -am -DskipTests package
	unzip -q -o functions/decider/target/decider-function.jar -d "$(ARTIFACTS_DIR)"

# The forwarder of SNS's SMS delivery-status logs ships in the SMS events jar: it is one small class beside it.
build-SmsDeliveryLogForwarderFunction:
	$(MVN) -pl functions/sms-events -am -DskipTests package
	unzip -q -o functions/sms-events/target/sms-events-function.jar -d "$(ARTIFACTS_DIR)"

build-SenderFunction:
	$(MVN) -pl functions/sender -am -DskipTests package
	unzip -q -o functions/sender/target/sender-function.jar -d "$(ARTIFACTS_DIR)"

build-SummaryFunction:
	$(MVN) -pl functions/audience -am -DskipTests package
	unzip -q -o functions/audience/target/summary-function.jar -d "$(ARTIFACTS_DIR)"

build-ImportFunction:
	$(MVN) -pl functions/import -am -DskipTests package
	unzip -q -o functions/import/target/import-function.jar -d "$(ARTIFACTS_DIR)"

build-EventRecordsFunction:
	$(MVN) -pl functions/events-out -am -DskipTests package
	unzip -q -o functions/events-out/target/event-records-function.jar -d "$(ARTIFACTS_DIR)"
